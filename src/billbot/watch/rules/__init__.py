"""The watch rules: pure functions of plain data and `now`, each returning findings."""
