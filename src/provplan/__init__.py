"""provplan: Thai provincial and cluster development plans as YAML — validate, render, roll up."""

__version__ = "0.1.0"
FORMAT_VERSION = 1
