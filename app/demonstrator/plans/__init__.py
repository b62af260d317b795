"""Visit plans: the optimiser's problem, computing, editing and publishing plans, and what people get from them."""
