package p

func f(x bool) {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
if x {
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
