"""Field extractors: metadata, structure, tasks, deadlines, parties and targets."""
