# Shortcuts for those who have make; ./dev does the work and needs only Python.
.PHONY: demo test bench
demo:
	./dev demo
test:
	./dev test
bench:
	./dev bench
