// A table of malformed models: each must be refused with the exact LINE:COL and a message that
// names what was expected and what was found (key words checked), and nothing else.
import { describe, expect, it } from "vitest";
import { errorsOf } from "./helpers.ts";

interface Case {
  scenario: string;
  source: string;
  /** `LINE:COL` of the (first) error. */
  at: string;
  /** Words the message must contain. */
  words: string[];
  /** How many errors in all (default 1). */
  count?: number;
}

const MLP_HEAD = "dim B = 32\ninput x: [B, 784]\nparam W1: [785, 15] = xavier\n";

const cases: Case[] = [
  // Syntax errors.
  { scenario: "unclosed parenthesis", source: "input x\ny = sigmoid(x * 2\nloss L = y", at: "2:18", words: ["expected ')'", "'(' at 2:12", "end of line"] },
  { scenario: "unclosed parenthesis at end of file", source: "input x\ny = (x + 1", at: "2:11", words: ["')'", "end of file"] },
  { scenario: "unclosed shape bracket", source: "input x: [3, 4\ny = x", at: "1:15", words: ["']'", "'[' at 1:10"] },
  { scenario: "unclosed train block", source: "input x\nloss L = x^2\ntrain {\n  steps = 5\n", at: "4:12", words: ["'}'", "'{' at 3:7", "end of file"] },
  { scenario: "stray operator in the middle", source: "input x\ny = x + * 2", at: "2:9", words: ["expected an expression", "found '*'"] },
  { scenario: "operator at end of line", source: "input x\ny = x +\nz = 1", at: "2:8", words: ["expected an expression", "end of line"] },
  { scenario: "operator where an operand starts", source: "input x\ny = @ x", at: "2:5", words: ["expected an expression", "found '@'"] },
  { scenario: "double star is not an operator", source: "input x\ny = x ** 2", at: "2:8", words: ["expected an expression", "'*'"] },
  { scenario: "stray closing parenthesis", source: "input x\ny = (x + 1))", at: "2:12", words: ["unexpected ')'", "nothing to close"] },
  { scenario: "bad number with two dots", source: "input x\ny = 1.2.3 * x", at: "2:5", words: ["malformed number", "'1.2.3'"] },
  { scenario: "bad number with empty exponent", source: "input x\ny = 1e * x", at: "2:5", words: ["malformed number", "'1e'"] },
  { scenario: "number glued to a name", source: "input x\ny = 2x", at: "2:5", words: ["malformed number", "'2x'"] },
  { scenario: "missing comma between arguments", source: "input x: [3]\ny = max(x x)", at: "2:11", words: ["expected ')' or ','", "found 'x'"] },
  { scenario: "trailing comma in a call", source: "input x: [3]\ny = sum(x,)", at: "2:11", words: ["expected an expression", "found ')'"] },
  { scenario: "reserved word as a binding name", source: "input x\nloss = x", at: "2:1", words: ["'loss' is a reserved word"] },
  { scenario: "reserved word as an operand", source: "input x\ny = x + input", at: "2:9", words: ["'input' is a reserved word"] },
  { scenario: "grad statement without wrt", source: "input x\nf = x^2\ngrad f x", at: "3:8", words: ["expected 'wrt'", "found 'x'"] },
  { scenario: "non-integer size in a shape", source: "input x: [3, 2.5]", at: "1:14", words: ["expected an integer or a dim name", "'2.5'"] },
  { scenario: "binary garbage", source: "\u0000\u0001\u00ffPNG\r\n\u001a", at: "1:1", words: ["unexpected character U+0000"] },
  { scenario: "a character that is not part of the language", source: "input x\ny = x $ 2", at: "2:7", words: ["unexpected '$'"] },
  { scenario: "an empty file", source: "", at: "1:1", words: ["the model is empty", "expected statements"] },
  { scenario: "a file with only comments", source: "# nothing here\n   # still nothing\n", at: "1:1", words: ["the model is empty"] },

  // Names.
  { scenario: "unknown name, with a suggestion", source: "input input1\ny = inptu1 * 2", at: "2:5", words: ["unknown name 'inptu1'", "did you mean 'input1'"] },
  { scenario: "name used before its definition", source: "input x\ny = z + x\nz = 2 * x", at: "2:5", words: ["z is used before it is defined", "3:1"] },
  { scenario: "a binding that uses itself", source: "input x\nh = h + x", at: "2:5", words: ["h is used in its own definition"] },
  { scenario: "rebinding a binding", source: "input x\ny = x\ny = 2 * x", at: "3:1", words: ["y is already defined at 2:1", "only once"] },
  { scenario: "rebinding an input as a param", source: "input w\nparam w = 1", at: "2:7", words: ["w is already defined at 1:7", "an input"] },
  { scenario: "rebinding a built-in function", source: "input x\nsigmoid = x", at: "2:1", words: ["sigmoid is a built-in function", "cannot be redefined"] },
  { scenario: "a def named like a built-in", source: "def relu(a) = a", at: "1:5", words: ["relu is a built-in function"] },
  { scenario: "a built-in used as a value", source: "input x\ny = exp + x", at: "2:5", words: ["exp is a built-in function", "exp(...)"] },

  // Shapes: every operator and some built-ins.
  { scenario: "+ shape mismatch", source: "input x: [3]\ninput y: [4]\nz = x + y", at: "3:7", words: ["cannot add x: [3] and y: [4]", "3 and 4"] },
  { scenario: "- shape mismatch", source: "input x: [2, 3]\ninput y: [2]\nz = x - y", at: "3:7", words: ["x: [2, 3]", "y: [2]", "3 and 2"] },
  { scenario: "* shape mismatch", source: "input x: [5, 3]\ninput y: [4, 3]\nz = x * y", at: "3:7", words: ["x: [5, 3]", "y: [4, 3]", "5 and 4"] },
  { scenario: "/ shape mismatch", source: "input x: [3]\ninput y: [4]\nz = x / y", at: "3:7", words: ["divide", "x: [3]", "y: [4]"] },
  { scenario: "^ shape mismatch", source: "input x: [3]\ninput y: [4]\nz = x ^ y", at: "3:7", words: ["x: [3]", "y: [4]", "power"] },
  { scenario: "@ inner sizes differ", source: `${MLP_HEAD}h = x @ W1`, at: "4:7", words: ["cannot multiply x: [32, 784] by W1: [785, 15]: inner sizes 784 and 785 differ"] },
  { scenario: "@ with a scalar", source: "input s\ninput v: [3]\ny = s @ v", at: "3:7", words: ["cannot multiply s: [] by v: [3]", "scalar"] },
  { scenario: "@ of two vectors of different length", source: "input u: [3]\ninput v: [4]\ny = u @ v", at: "3:7", words: ["u: [3]", "v: [4]", "3 and 4"] },
  { scenario: "operand that is not a name is quoted as written", source: "input x: [2, 3]\nparam W: [2, 2] = zeros\ny = (x + 1) @ W", at: "3:13", words: ["(x + 1): [2, 3]", "W: [2, 2]"] },
  { scenario: "a long operand is shortened", source: "input x: [2, 3]\nparam W: [2, 2] = zeros\ny = (x + x + x + x + x + x + x + x + x + x) @ W", at: "3:45", words: ["(x + x + x + x + x + x + x +...: [2, 3]", "W: [2, 2]"] },
  { scenario: "built-in max with mismatched shapes", source: "input a: [3]\ninput b: [2]\ny = max(a, b)", at: "3:5", words: ["a: [3]", "b: [2]"] },
  { scenario: "cross_entropy with mismatched shapes", source: "input z: [4, 10]\ntarget y: [4, 9]\nloss L = cross_entropy(z, y)", at: "3:10", words: ["cross_entropy", "z: [4, 10]", "y: [4, 9]"] },
  { scenario: "transpose of a vector", source: "input v: [3]\ny = transpose(v)", at: "2:5", words: ["transpose", "v: [3]", "rank 1"] },
  { scenario: "softmax of a scalar", source: "input s\ny = softmax(s)", at: "2:5", words: ["softmax", "s: []", "scalar"] },

  // Axes.
  { scenario: "axis out of range", source: "input x: [3, 4]\ny = sum(x, 2)", at: "2:12", words: ["axis 2 is out of range", "x: [3, 4]", "rank 2"] },
  { scenario: "negative axis out of range", source: "input x: [3, 4]\ny = mean(x, axis = -3)", at: "2:20", words: ["axis -3 is out of range"] },
  { scenario: "axis that is not an integer literal", source: "dim n = 1\ninput x: [3, 4]\ny = sum(x, n)", at: "3:12", words: ["axis of sum must be an integer", "found n"] },
  { scenario: "axis of a scalar", source: "input s\ny = sum(s, 0)", at: "2:12", words: ["axis 0 is out of range", "scalar"] },

  // Loss and grad.
  { scenario: "non-scalar loss", source: "input x: [3]\nloss L = x * 2", at: "2:10", words: ["loss L must be a scalar", "[3]"] },
  { scenario: "two losses", source: "input x\nloss L = x^2\nloss M = x^3", at: "3:1", words: ["at most one loss", "L"] },
  { scenario: "grad of a non-scalar binding", source: "input x: [3]\nf = 2 * x\ngrad f wrt x", at: "3:6", words: ["grad f needs a scalar", "[3]"] },
  { scenario: "grad of an unknown name", source: "input x\nf = x^2\ngrad g wrt x", at: "3:6", words: ["grad of unknown name 'g'"] },
  { scenario: "grad wrt an unknown name", source: "input x\nf = x^2\ngrad f wrt x, q", at: "3:15", words: ["unknown name 'q'", "input or param"] },
  { scenario: "grad wrt a binding", source: "input x\ny = 2 * x\nf = y^2\ngrad f wrt y", at: "4:12", words: ["y is a binding", "inputs or params"] },
  { scenario: "grad() of a non-scalar in an expression", source: "input x: [2]\nf = x * x\ng = grad(f, x)", at: "3:10", words: ["needs a scalar f", "[2]"] },

  // Functions.
  { scenario: "direct recursion", source: "def f(a) = f(a) + 1", at: "1:12", words: ["f calls itself", "recursive"] },
  { scenario: "mutual recursion", source: "def f(a) = g(a)\ndef g(a) = f(a)", at: "1:12", words: ["g is defined after f", "2:5"] },
  { scenario: "unknown function, with a suggestion", source: "input x\ny = sigmod(x)", at: "2:5", words: ["unknown function 'sigmod'", "did you mean 'sigmoid'"] },
  { scenario: "wrong arity of a def", source: "def f(a, b) = a * b\ninput x\ny = f(x)", at: "3:5", words: ["f takes 2 arguments (a, b), found 1", "missing b"] },
  { scenario: "wrong arity of a built-in", source: "input x: [3]\ny = sum(x, 0, 1)", at: "2:5", words: ["sum takes 1 to 2 arguments", "found 3"] },
  { scenario: "unknown keyword argument", source: "input x: [3]\ny = sum(x, ax = 0)", at: "2:12", words: ["sum has no argument named 'ax'", "x, axis"] },
  { scenario: "shape error inside a def names the call", source: "def dense(a, W) = a @ W\ninput x: [4, 3]\nparam W: [4, 2] = zeros\nh = dense(x, W)", at: "1:21", words: ["cannot multiply a: [4, 3] by W: [4, 2]", "in call to dense at 4:5"] },
  { scenario: "repeated def parameter", source: "def f(a, a) = a", at: "1:10", words: ["parameter a of f is listed twice"] },
  { scenario: "calling something that is not a function", source: "input x\ny = x(2)", at: "2:5", words: ["x is an input, not a function"] },

  // Initializers and defaults.
  { scenario: "unknown initializer", source: "param w: [3] = glorot", at: "1:16", words: ["unknown initializer 'glorot'", "xavier"] },
  { scenario: "normal with a negative std", source: "param w: [3] = normal(0, -1)", at: "1:16", words: ["std of normal", "-1"] },
  { scenario: "param without an initializer", source: "param w: [3]\ninput x", at: "1:13", words: ["param w needs an initializer"] },
  { scenario: "input default that is not a number", source: "input b = 1\ninput a = b", at: "2:11", words: ["default value of input a must be a number", "found b"] },
  { scenario: "default for a non-scalar input", source: "input a: [3] = 1", at: "1:16", words: ["only a scalar input can have a default", "[3]"] },

  // Dims.
  { scenario: "unknown dim in a shape", source: "dim B = 4\ninput x: [C, 3]", at: "2:11", words: ["unknown dim 'C'", "shape of x"] },
  { scenario: "dim of zero", source: "dim B = 0", at: "1:9", words: ["dim B must be a positive integer", "found 0"] },
  { scenario: "negative dim", source: "dim B = -2", at: "1:9", words: ["dim B must be a positive integer", "-2"] },
  { scenario: "non-integer dim", source: "dim B = 3.5", at: "1:9", words: ["positive integer", "3.5"] },
  { scenario: "zero size in a shape", source: "input x: [0, 3]", at: "1:11", words: ["positive integers", "found 0"] },
  { scenario: "rank 5 refused", source: "input x: [2, 3, 4, 1, 2]", at: "1:23", words: ["x has rank 5", "rank 0 to 4"] },
  { scenario: "reshape to another size", source: "input x: [2, 6]\ny = reshape(x, [3, 3])", at: "2:5", words: ["cannot reshape x: [2, 6] to [3, 3]", "holds 12 numbers", "[3, 3] holds 9"] },
  { scenario: "reshape with a size that is not an integer", source: "input x: [2, 6]\ny = reshape(x, [2, x])", at: "2:20", words: ["a size in the shape of reshape must be an integer or a dim name", "found x"] },
  { scenario: "reshape with two -1", source: "input x: [2, 6]\ny = reshape(x, [-1, -1])", at: "2:21", words: ["only one size can be -1"] },
  { scenario: "reshape with a shape that is not a list", source: "input x: [2, 6]\ny = reshape(x, 12)", at: "2:16", words: ["the shape of reshape must be a list such as [B, 784]", "found 12"] },
  { scenario: "a list outside reshape", source: "input x: [2]\ny = x + [1, 2]", at: "2:9", words: ["a list such as [1, 2] is only allowed as a shape argument, as in reshape(x, [B, 784])"] },
  { scenario: "layer norm without keepdims, B == F (named dims)", source: "dim B = 4\ndim F = 4\ninput a: [B, F]\nmu = mean(a, 1)\nd = a - mu", at: "5:7", words: ["cannot subtract mu: [B] from a: [B, F]: the last axes are F and B — did you mean mean(a, 1, keepdims = true)?"] },
  { scenario: "differently named dims of equal size broadcast together", source: "dim H = 3\ndim W = 3\ninput a: [H]\ninput b: [W]\ny = a + b", at: "5:7", words: ["cannot add a: [H] and b: [W]", "the last axes are H and W"] },
  { scenario: "keepdims that is not true or false", source: "input x: [2, 3]\ny = sum(x, 1, keepdims = 1)", at: "2:26", words: ["keepdims of sum must be true or false", "found 1"] },
  { scenario: "a number parameter that is not a number", source: "input x: [3]\ny = leaky_relu(x, alpha = x)", at: "2:27", words: ["alpha of leaky_relu must be a number", "found x"] },
  { scenario: "clip with lo > hi", source: "input x: [3]\ny = clip(x, 2, 1)", at: "2:13", words: ["clip needs lo <= hi", "lo = 2 and hi = 1"] },
  { scenario: "clip without its bounds", source: "input x: [3]\ny = clip(x)", at: "2:5", words: ["clip takes 3 arguments (x, lo, hi), found 1: missing lo, hi"] },
  { scenario: "bce_with_logits with targets of another shape", source: "input z: [4, 2]\ninput y: [4]\nL = bce_with_logits(z, y)", at: "3:5", words: ["bce_with_logits needs targets shaped like the logits", "z: [4, 2]"] },
  { scenario: "max reduction along an axis out of range", source: "input x: [2, 3]\ny = max(x, axis = 2)", at: "2:19", words: ["axis 2 is out of range for x: [2, 3]"] },
  { scenario: "take with indices that are not an input", source: "param E: [5, 2] = zeros\ninput x: [3]\ny = take(E, x * 2)", at: "3:13", words: ["the indices of take must be an input holding row numbers (declare `input idx: [B]`)", "found x * 2"] },
  { scenario: "take from a vector", source: "param E: [5] = zeros\ninput i: [3]\ny = take(E, i)", at: "3:5", words: ["take needs a matrix of rows [V, D]", "E: [5] has rank 1"] },
  { scenario: "grad with respect to take's indices", source: "param E: [5, 2] = zeros\ninput i: [3]\nf = sum(take(E, i))\ngrad f wrt i", at: "4:12", words: ["i holds row numbers for take, which have no derivative"] },
  { scenario: "an index out of range", source: "input x: [2, 3]\ny = x[:, 3]", at: "2:10", words: ["index 3 is out of range for axis 1 of x: [2, 3] (size 3)"] },
  { scenario: "a negative index out of range", source: "input x: [2, 3]\ny = x[-3]", at: "2:7", words: ["index -3 is out of range for axis 0 of x: [2, 3] (size 2)"] },
  { scenario: "an empty slice", source: "input x: [2, 3]\ny = x[:, 2:1]", at: "2:10", words: ["the slice 2:1 of axis 1 of x: [2, 3] is empty (2 to 1)"] },
  { scenario: "more indices than axes", source: "input x: [2, 3]\ny = x[0, 1, 2]", at: "2:5", words: ["cannot index x: [2, 3] with 3 indices: it has 2 axes"] },
  { scenario: "a slice bound that is not a constant", source: "input x: [2, 3]\ninput k\ny = x[:, 0:k]", at: "3:12", words: ["an index of x must be an integer or a dim name", "found k"] },
  { scenario: "pad with a list of the wrong length", source: "input x: [2, 3]\ny = pad(x, [1], [0, 1])", at: "2:12", words: ["the before list of pad has 1 entry, but x: [2, 3] has 2 axes"] },
  { scenario: "pad with a negative count", source: "input x: [2, 3]\ny = pad(x, [0, -1], [0, 1])", at: "2:12", words: ["the before list of pad must hold counts of zeros (0 or more), found [0, -1]"] },
  { scenario: "pad with a number for a list", source: "input x: [2, 3]\ny = pad(x, 1, [0, 1])", at: "2:12", words: ["the before argument of pad must be a list of integers such as [0, 1], found 1"] },
  { scenario: "concat of different ranks", source: "input a: [2, 3]\ninput b: [3]\ny = concat(a, b, axis = 0)", at: "3:5", words: ["cannot concatenate a: [2, 3] and b: [3]: ranks 2 and 1 differ"] },
  { scenario: "concat of different sizes off the axis", source: "input a: [2, 3]\ninput b: [2, 4]\ny = concat(a, b, axis = 0)", at: "3:5", words: ["cannot concatenate a: [2, 3] and b: [2, 4] along axis 0: axis 1 has size 3 in one and 4 in the other"] },
  { scenario: "concat of differently named dims", source: "dim B = 4\ndim F = 3\ndim H = 3\ninput a: [B, F]\ninput b: [B, H]\ny = concat(a, b, axis = 0)", at: "6:5", words: ["cannot concatenate a: [B, F] and b: [B, H] along axis 0: axis 1 is F in one and H in the other"] },
  { scenario: "concat with its axis by position", source: "input a: [2, 3]\ny = concat(a, a, 1)", at: "2:18", words: ["the axis of concat is given by name, after the tensors: concat(a, a, axis = 1)"] },
  { scenario: "concat axis out of range", source: "input a: [2, 3]\ny = concat(a, a, axis = 2)", at: "2:5", words: ["axis 2 is out of range for a: [2, 3] of rank 2"] },
  { scenario: "concat of scalars", source: "input a\ny = concat(a, a)", at: "2:5", words: ["cannot concatenate a: []: a scalar has no axis to join along"] },
  {
    scenario: "concat whose eleventh operand differs (operand numbers past 9)",
    source: "input a: [2, 3]\ninput b: [2, 4]\ny = concat(a, a, a, a, a, a, a, a, a, a, b, axis = 0)",
    at: "3:5",
    words: ["cannot concatenate a: [2, 3] and b: [2, 4] along axis 0: axis 1 has size 3 in one and 4 in the other"],
  },
  { scenario: "dropout with p = 1", source: "input x: [2, 3]\ny = dropout(x, 1)", at: "2:16", words: ["p of dropout must be a probability in [0, 1), found 1"] },
  { scenario: "dropout with a negative p", source: "input x: [2, 3]\ny = dropout(x, p = -0.1)", at: "2:20", words: ["p of dropout must be a probability in [0, 1), found -0.1"] },
  { scenario: "dropout with p a tensor", source: "input x: [2, 3]\ninput q\ny = dropout(x, q)", at: "3:16", words: ["p of dropout must be a number, found q"] },
  { scenario: "flatten of a scalar", source: "input x\ny = flatten(x)", at: "2:5", words: ["flatten keeps the first axis", "x: [] is a scalar"] },

  // Convolution and pooling.
  { scenario: "conv2d of a rank-3 input", source: `input x: [2, 3, 8]\nparam K: [4, 3, 3, 3] = zeros\ny = conv2d(x, K)`, at: "3:5", words: ["conv2d needs x shaped [batch, channels, height, width]", "x: [2, 3, 8] has rank 3"] },
  { scenario: "conv2d kernel of rank 2", source: `input x: [2, 3, 8, 8]\nparam K: [4, 3] = zeros\ny = conv2d(x, K)`, at: "3:5", words: ["conv2d needs a kernel shaped [out_channels, in_channels, kernel_height, kernel_width]", "K: [4, 3] has rank 2"] },
  { scenario: "conv2d channels differ", source: `input x: [2, 3, 8, 8]\nparam K: [4, 1, 3, 3] = zeros\ny = conv2d(x, K)`, at: "3:5", words: ["cannot convolve x: [2, 3, 8, 8] with K: [4, 1, 3, 3]", "x has 3 channels", "the kernel takes 1"] },
  { scenario: "conv2d bias of the wrong size", source: `input x: [2, 3, 8, 8]\nparam K: [4, 3, 3, 3] = zeros\nparam b: [3] = zeros\ny = conv2d(x, K, b)`, at: "4:5", words: ["the bias of conv2d must have shape [4]", "one value per output channel of K: [4, 3, 3, 3]", "b: [3]"] },
  { scenario: "conv2d output size not an integer", source: `input x: [2, 1, 28, 28]\nparam K: [6, 1, 5, 5] = zeros\ny = conv2d(x, K, stride = 2)`, at: "3:5", words: ["conv2d of x: [2, 1, 28, 28] with K: [6, 1, 5, 5]", "the output height (28 − 5) / 2 + 1 = 12.5 is not an integer"] },
  { scenario: "conv2d kernel larger than the padded input", source: `input x: [1, 1, 3, 3]\nparam K: [1, 1, 7, 7] = zeros\ny = conv2d(x, K, padding = 1)`, at: "3:5", words: ["the kernel height 7 is larger than the padded height 3 + 2·1 = 5"] },
  { scenario: "conv2d stride of zero", source: `input x: [1, 1, 8, 8]\nparam K: [1, 1, 3, 3] = zeros\ny = conv2d(x, K, stride = 0)`, at: "3:27", words: ["the stride of conv2d must be a positive integer, found 0"] },
  { scenario: "conv2d negative padding", source: `input x: [1, 1, 8, 8]\nparam K: [1, 1, 3, 3] = zeros\ny = conv2d(x, K, padding = -1)`, at: "3:28", words: ["the padding of conv2d must be a non-negative integer, found -1"] },
  { scenario: "conv2d stride that is not an integer literal", source: `input x: [1, 1, 8, 8]\nparam K: [1, 1, 3, 3] = zeros\ny = conv2d(x, K, stride = 1.5)`, at: "3:27", words: ["the stride of conv2d must be an integer such as 1 or 2", "found 1.5"] },
  { scenario: "conv1d of a rank-4 input", source: `input x: [2, 3, 8, 8]\nparam K: [4, 3, 3] = zeros\ny = conv1d(x, K)`, at: "3:5", words: ["conv1d needs x shaped [batch, channels, length]", "has rank 4"] },
  { scenario: "maxpool2d of a matrix", source: `input x: [4, 8]\ny = maxpool2d(x, 2)`, at: "2:5", words: ["maxpool2d needs x shaped [batch, channels, height, width]", "x: [4, 8] has rank 2"] },
  { scenario: "maxpool2d windows that do not tile", source: `input x: [1, 1, 7, 8]\ny = maxpool2d(x, 2)`, at: "2:5", words: ["maxpool2d of x: [1, 1, 7, 8]", "the output height (7 − 2) / 2 + 1 = 3.5 is not an integer"] },
  { scenario: "avgpool2d window of zero", source: `input x: [1, 1, 4, 4]\ny = avgpool2d(x, 0)`, at: "2:18", words: ["the window size of avgpool2d must be a positive integer, found 0"] },
  { scenario: "maxpool2d without a window size", source: `input x: [1, 1, 4, 4]\ny = maxpool2d(x)`, at: "2:5", words: ["maxpool2d takes 2 to 3 arguments (x, size, stride)", "missing size"] },

  // The gradient ops' built-ins (the spellings `netc explain` prints).
  { scenario: "conv2d_input with an input_size its dy does not fit", source: `input dy: [2, 3, 6, 6]\nparam K: [3, 1, 3, 3] = zeros\ndx = conv2d_input(dy, K, [2, 1, 7, 6], padding = 1)`, at: "3:6", words: ["conv2d_input: dy: [2, 3, 6, 6] is not the output shape [2, 3, 7, 6] of a convolution of [2, 1, 7, 6] by K: [3, 1, 3, 3]"] },
  { scenario: "conv1d_input of a rank-4 input_size", source: `input dy: [2, 3, 6, 6]\nparam K: [3, 1, 3, 3] = zeros\ndx = conv1d_input(dy, K, [2, 1, 6, 6], padding = 1)`, at: "3:6", words: ["conv1d_input gives a result of rank 4 ([2, 1, 6, 6]): write conv2d_input"] },
  { scenario: "conv2d_input whose input_size has other channels than the kernel", source: `input dy: [2, 3, 6, 6]\nparam K: [3, 1, 3, 3] = zeros\ndx = conv2d_input(dy, K, [2, 2, 6, 6], padding = 1)`, at: "3:26", words: ["cannot convolve the input_size [2, 2, 6, 6] with K: [3, 1, 3, 3]", "x has 2 channels"] },
  { scenario: "conv2d_input with an input_size that is not a list", source: `input dy: [2, 3, 6, 6]\nparam K: [3, 1, 3, 3] = zeros\ndx = conv2d_input(dy, K, 6, padding = 1)`, at: "3:26", words: ["the input_size of conv2d_input must be a list such as [B, 784], found 6"] },
  { scenario: "conv2d_input with -1 in its input_size (only reshape infers)", source: `input dy: [2, 3, 6, 6]\nparam K: [3, 1, 3, 3] = zeros\ndx = conv2d_input(dy, K, [2, -1, 6, 6], padding = 1)`, at: "3:30", words: ["conv2d_input: sizes must be positive, found -1"] },
  { scenario: "conv2d_weight with a weight_size its dy does not fit", source: `input x: [2, 1, 6, 6]\ninput dy: [2, 3, 6, 6]\ny = conv2d_weight(x, dy, [3, 1, 4, 4], padding = 1)`, at: "3:5", words: ["conv2d_weight: dy: [2, 3, 6, 6] is not the output shape [2, 3, 5, 5] of a convolution of x: [2, 1, 6, 6] by [3, 1, 4, 4]"] },
  { scenario: "maxpool2d_input with a dy of the input's shape", source: `input x: [2, 3, 6, 6]\ny = maxpool2d_input(x, x, 2)`, at: "2:5", words: ["maxpool2d_input: x: [2, 3, 6, 6] is not the pooled shape [2, 3, 3, 3] of x: [2, 3, 6, 6]"] },
  { scenario: "avgpool2d_input whose input_size the windows do not tile", source: `input dy: [2, 3, 3, 3]\ny = avgpool2d_input(dy, [2, 3, 7, 6], 2)`, at: "2:25", words: ["avgpool2d_input of the input_size [2, 3, 7, 6]: the output height (7 − 2) / 2 + 1 = 3.5 is not an integer"] },
  { scenario: "scatter_add with rows of the wrong shape", source: `param E: [5, 4] = zeros\ninput i: [2]\ny = scatter_add(E, i, [5, 4])`, at: "3:5", words: ["scatter_add: E: [5, 4] does not match [2, 4], one row of 4 per index of i: [2]"] },
  { scenario: "scatter_add with indices that are not an input", source: `param g: [3, 2] = zeros\ninput x: [3]\ny = scatter_add(g, x * 2, [5, 2])`, at: "3:20", words: ["the indices of scatter_add must be an input holding row numbers"] },
  { scenario: "scatter_add into a tensor that is not a matrix", source: `param g: [3, 2] = zeros\ninput i: [3]\ny = scatter_add(g, i, [5, 2, 1])`, at: "3:23", words: ["scatter_add needs the shape [V, D] of the rows it adds into, found [5, 2, 1]"] },
  { scenario: "broadcast_to a size that does not fit", source: `input v: [5]\ny = broadcast_to(v, [5, 3])`, at: "2:5", words: ["cannot broadcast v: [5] to [5, 3]: size 5 of axis 0 does not fit 3"] },
  { scenario: "broadcast_to fewer axes", source: `input x: [2, 3, 4]\ny = broadcast_to(x, [3, 4])`, at: "2:5", words: ["cannot broadcast x: [2, 3, 4] to [3, 4]: it has more axes (3) than the target (2)"] },
  { scenario: "broadcast_to that aligns differently named dims (the layer-norm trap)", source: `dim B = 4\ndim F = 4\ninput a: [B, F]\nmu = broadcast_to(mean(a, 1), [B, F])`, at: "4:6", words: ["cannot broadcast mean(a, 1): [B] to [B, F]: the last axes are B and F — did you mean mean(a, 1, keepdims = true)?"] },

  // Train block.
  { scenario: "unknown train key", source: "input x\nloss L = x^2\ntrain { epoch = 3 }", at: "3:9", words: ["unknown train key 'epoch'", "did you mean 'epochs'"] },
  { scenario: "lr of zero", source: "input x\nloss L = x^2\ntrain { optimizer = sgd(lr = 0) }", at: "3:30", words: ["lr of sgd must be positive", "found 0"] },
  { scenario: "negative lr", source: "input x\nloss L = x^2\ntrain { optimizer = adam(-0.1) }", at: "3:26", words: ["lr of adam must be positive", "-0.1"] },
  { scenario: "epochs not an integer", source: "input x\nloss L = x^2\ntrain { epochs = 2.5 }", at: "3:18", words: ["epochs must be a positive integer", "2.5"] },
  { scenario: "shuffle not a boolean", source: "input x\nloss L = x^2\ntrain { shuffle = 1 }", at: "3:19", words: ["shuffle must be true or false"] },
  { scenario: "unknown optimizer", source: "input x\nloss L = x^2\ntrain { optimizer = rmsprop(0.1) }", at: "3:21", words: ["unknown optimizer 'rmsprop'", "sgd, adam"] },
  { scenario: "unknown optimizer setting", source: "input x\nloss L = x^2\ntrain { optimizer = sgd(lr = 0.1, beta = 2) }", at: "3:35", words: ["sgd has no setting 'beta'", "lr, momentum"] },
  { scenario: "train key given twice", source: "input x\nloss L = x^2\ntrain { steps = 1; steps = 2 }", at: "3:20", words: ["steps is given twice", "3:9"] },
  { scenario: "train without a loss", source: "input x\ny = x^2\ntrain { steps = 3 }", at: "3:1", words: ["train block needs a loss"] },
  { scenario: "step schedule without its factor", source: "input x\nloss L = x^2\ntrain { schedule = step(10) }", at: "3:20", words: ["step needs factor"] },
];

describe("malformed models", () => {
  it("the table has at least 40 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases.map((c) => [c.scenario, c] as const))("%s", (_scenario, c) => {
    const errors = errorsOf(c.source);
    expect(errors.length, errors.map((e) => e.message).join("\n")).toBe(c.count ?? 1);
    const first = errors[0]!;
    expect(`${first.span.line}:${first.span.col}`, first.message).toBe(c.at);
    for (const w of c.words) expect(first.message).toContain(w);
    expect(first.severity).toBe("error");
  });
});

describe("several errors in one run", () => {
  it("reports every independent checker error, in source order", () => {
    const src = ["input x: [3]", "input y: [4]", "a = x + y", "b = nope * 2", "c = sum(x, 3)", "loss L = x"].join("\n");
    const errors = errorsOf(src).map((d) => `${d.span.line}:${d.span.col}`);
    expect(errors).toEqual(["3:7", "4:5", "5:12", "6:10"]);
  });

  it("recovers from syntax errors at statement boundaries", () => {
    const src = ["input x", "a = (x + 1", "b = x + * 2", "c = 1.2.3", "d = x", "e = x +"].join("\n");
    const errors = errorsOf(src).map((d) => `${d.span.line}:${d.span.col}`);
    expect(errors).toEqual(["2:11", "3:9", "4:5", "6:8"]);
  });

  it("does not cascade from a bad binding to its uses", () => {
    const src = "input x: [3]\ninput y: [4]\na = x + y\nb = a * 2\nloss L = sum(b)";
    expect(errorsOf(src)).toHaveLength(1);
  });
});
