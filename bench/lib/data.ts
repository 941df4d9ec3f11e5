// The benchmark's data: the project's MNIST split (8,000 train / 2,000 test digits).
export { loadMnist } from "../../src/data/mnist.ts";
