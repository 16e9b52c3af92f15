"""Excel functions over the engine, through xlwings."""
