# Shortcuts for those who have make; ./dev does the work and needs only Python.
.PHONY: demo test lint bench dist
demo:
	./dev demo
test:
	./dev test
lint:
	./dev lint
bench:
	./dev bench
dist:
	./dev dist
