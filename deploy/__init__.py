"""Running the atlas as several processes behind nginx (deploy/run-cluster.sh)."""
