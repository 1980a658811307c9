"""Classes whose attribute docstrings are found in awkward places, for test_attribute_docs.py."""
