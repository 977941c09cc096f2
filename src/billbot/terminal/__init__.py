"""The terminal face of billbot: `billbot ask` and `billbot console`."""
