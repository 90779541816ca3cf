"""Demo extracts: fictional but realistic deliveries of all seven sources in their real formats.

Every number here is made up (DEMO — fictieve cijfers). How the rates are calibrated on real
open data is written down in ``CALIBRATION.md`` beside this file.
"""

from pipeline.demo.generate import generate

__all__ = ["generate"]
