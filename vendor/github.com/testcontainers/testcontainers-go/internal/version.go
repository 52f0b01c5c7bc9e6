package internal

// Version is the next development version of the application
const Version = "0.45.0"
