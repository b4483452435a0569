"""A synthetic demo company with ground truth: exports, roster, CRM and what really is.

>>> from tejido.demo import generate, DemoManifest  # doctest: +SKIP
>>> manifest = generate(pathlib.Path("demo"), employees=300, seed=1)  # doctest: +SKIP
"""

from tejido.demo.generator import DemoManifest, generate

__all__ = ["DemoManifest", "generate"]
