"""Import every page-kind module, in the order their pages are built."""
