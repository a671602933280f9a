"""Storage: chromadb vectors, the lexical index, the SQLite registry and chat history."""
