"""gvb pipeline: ingest, validate, build, publish and report the Gezamenlijk Veiligheidsbeeld."""

__version__ = "0.1.0"
