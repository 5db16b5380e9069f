import ArgumentParser
UringCommand.main()
