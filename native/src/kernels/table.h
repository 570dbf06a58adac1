// The kernel table of one ISA. Included last, inside the ISA namespace.

template <class T>
constexpr Kernels<T> kernels() {
  return {&adam<T>, &sgd<T>, &adagrad<T>, &rmsprop<T>, &lion<T>, &sum_squares<T>, &scale<T>, &adam_traffic<T>,
          &linreg_block<T>, &read_once<T>, &mlp_products<T>, &mlp_activate<T>, &mlp_activation_backward<T>,
          &mlp_peak<T>};
}

inline const KernelTable* table(const char* isa) {
  static const KernelTable t{isa, kernels<float>(), kernels<double>()};
  return &t;
}
