"""Many writers on one archive: waiting for the write lock, retrying busy transactions, migrating once."""
