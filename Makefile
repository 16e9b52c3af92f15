# Shortcuts for those who have make; ./dev does the work and needs only Python.
.PHONY: demo test lint bench
demo:
	./dev demo
test:
	./dev test
lint:
	./dev lint
bench:
	./dev bench
