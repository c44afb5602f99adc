package p

var s = 1 ÿ
