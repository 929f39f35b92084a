"""Offline eval suite: question sets, pure metric functions, the runner and the committed baseline."""
