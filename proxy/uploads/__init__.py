"""Text out of what staff upload: documents (PDF, DOCX, XLSX, PPTX, text formats, ZIP) and images (local OCR).

``model`` holds the shared vocabulary (limits, results, the ``Unreadable`` error); ``documents`` turns file
bytes into text parts and embedded images; ``images`` / ``ocr`` / ``visual`` read images. Nothing here knows
about HTTP or the pipeline: ``proxy.pipeline.uploads`` calls it off the event loop with a deadline.
"""
