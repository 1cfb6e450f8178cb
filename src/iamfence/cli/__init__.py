"""The thin CLI (layer 9): parse arguments, call one library function, render, exit."""
