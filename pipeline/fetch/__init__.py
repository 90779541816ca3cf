"""`gvb fetch`: police and CBS open data straight from their OData feeds, into ``data_raw/``.

``feed`` asks one page (retries with backoff, a clear refusal when there is no network),
``tables`` says what each table holds and what the region needs of it, ``run`` follows the pages
to the end (resuming an interrupted fetch) and writes them with their manifest, ``population``
turns fetched CBS population into the reference data. ``gvb ingest`` reads a fetched folder as one
delivery (``pipeline.ingest.fetched``).
"""
