"""billbot's pure core: periods, money display and the report, balance and limit domain."""
