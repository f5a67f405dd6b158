"""Sourced records: claims resolution, name lookup, the YAML record format and the demo KB."""
