"""The paper catalog: schema, loaders, queries. Knows nothing of Discord."""
