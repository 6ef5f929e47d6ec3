"""Vietnamese language kit: pure functions and data shared by segmentation and normalisation."""
