import DMASim
