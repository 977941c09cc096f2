"""The report cache: `billbot sync` fills it, answers read complete buckets from it and the rest live."""
