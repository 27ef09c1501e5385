package bench

//go:generate go run ./_asm .
