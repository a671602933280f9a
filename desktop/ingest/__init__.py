"""File loaders: turn files on disk into text with page and heading positions."""
