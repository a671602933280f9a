"""The indexing process: the store, the embedder and the reading of files, away from the
window's event loop (`process`), the window's side of it (`client`) and their messages
(`wire`)."""
