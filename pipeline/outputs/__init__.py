"""The writers: a notice record → its JSON, its task workbook and its review page; a plan diff →
its workbook; the cell and sheet helpers the workbooks share (`xlsx`)."""
