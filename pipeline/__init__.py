"""gongwen's stages and command line: file → text → document → notice record → exports."""
