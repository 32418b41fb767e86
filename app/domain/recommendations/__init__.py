"""The match score a person reads: three parts in [0, 1] weighted 40/30/30, and its reasons."""
