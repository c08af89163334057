import sys
from pathlib import Path

# tests/contentkit.py holds the sample content folder shared with the top-level tests.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
