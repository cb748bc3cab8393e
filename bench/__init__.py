"""The benchmark and its scale corpus: tools beside the product, not installed with it."""
