"""Evidence for a claim: gathered from the data source (and a sandbox's request log and outages), as text."""
