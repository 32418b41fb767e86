"""HTTP plumbing shared by every router: error bodies, middleware, docs pages, rate limits."""
