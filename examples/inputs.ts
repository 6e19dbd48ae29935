// A selection's inputs. Select the last line and run "Gradient Lens: Inspect Gradients": it uses
// a and b without values, so Gradient Lens asks for them (try a=3, b=2) and remembers them for this
// file. A `// @grad a=3, b=2` comment, or `const a = 3` earlier in the file, would give them too.
a * a + 3 * b
