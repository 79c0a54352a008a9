"""Document-application services; one module per stage, all following common.py's recipe."""
