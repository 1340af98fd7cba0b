"""loomta-sync: keep a social-media calendar as YAML files in git and make Loomta match them."""

__version__ = "0.1.0"
