package kernels

//go:generate go run ./_asm .
