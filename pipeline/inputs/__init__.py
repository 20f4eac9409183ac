"""Stage 1, the readers: a file's bytes → `SourceText`. `load` chooses the reader by the bytes;
one module per format (`text`, `pdf`, `word`, `web`), with the PDF's ruled tables and OCR."""
