"""Model building and offline evaluation with numpy/scipy: pure computation on arrays, no I/O
apart from reading MovieLens files. Adapters feed it ratings; the domain never imports it."""
