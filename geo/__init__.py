"""Places and space: the gazetteer, regions, the 1962 borders and the map."""
