"""interdiction: screen chemicals, parties and shipments against fentanyl controls, with reasons."""

__version__ = "0.1.0"
