"""Thin FastAPI routers: a schema in, one use case, a response model out."""
