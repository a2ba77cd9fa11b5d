# Multi-step word problems (two to four steps, in the manner of grade-school problems), written for
# stop 29 before the chain rule (`WordChains`) existed. Six kinds; within each kind the problems
# alternate between multi-dev.jsonl (tuned on) and multi-test.jsonl (held out).
# None comes from ../shared/eval or any other file; the answers were worked by hand.
#   python3 config/eval/multi.py rewrites both files.
from evalsets import write, num

# (kind, query, answer)
P = [
# K1 a story of changes: a start, then losses and gains
("story", "Maya had 40 stickers. She gave 12 to her brother and then bought 15 more. How many stickers does she have now?", 43),
("story", "A baker made 120 rolls. He sold 75 in the morning and 28 in the afternoon. How many rolls were left?", 17),
("story", "Liam has 25 marbles. He wins 18 more, then loses 9. How many marbles does he have?", 34),
("story", "There were 64 people on a train. At the first stop 15 got off and 22 got on. How many people are on the train now?", 71),
("story", "Nora picked 38 apples on Monday and 27 on Tuesday. She used 20 of them for pies. How many apples does she have left?", 45),
("story", "A library had 350 books. It gave away 48 old books and received a donation of 125 new ones. How many books does the library have now?", 427),
("story", "Ben had $90. He spent $35 on a jacket and $18 on a book. How much money does he have left?", 37),
("story", "A tank held 200 liters of water. 45 liters leaked out and then 60 liters were added. How many liters are in the tank?", 215),
# K2 one quantity told by another (times as many, half as many, more than, fewer than), then a total
("relation", "Sam has 14 books. Tia has three times as many books as Sam. How many books do they have together?", 56),
("relation", "A red ribbon is 24 cm long. A blue ribbon is half as long as the red one. What is the total length of the two ribbons?", 36),
("relation", "Ella scored 18 points. Max scored 7 more points than Ella. How many points did they score in all?", 43),
("relation", "A farm has 30 cows. It has twice as many sheep as cows and 5 fewer goats than cows. How many animals are there in total?", 115),
("relation", "Jin is 12 years old. His father is 4 times as old as Jin. How old will his father be in 5 years?", 53),
("relation", "Kim read 40 pages on Saturday and half as many pages on Sunday. How many pages did she read over the two days?", 60),
("relation", "A shirt costs $15. A pair of jeans costs 3 times as much as the shirt. How much do the shirt and the jeans cost together?", 60),
("relation", "Pablo collected 26 shells. Rosa collected 9 fewer shells than Pablo. How many shells did they collect altogether?", 43),
# K3 money: several items at their prices, a total or the change
("money", "Lucy buys 4 notebooks at $3 each and 2 pens at $2 each. How much does she spend?", 16),
("money", "Tickets cost $8 for adults and $5 for children. How much do 2 adults and 3 children pay in total?", 31),
("money", "Omar buys 3 sandwiches for $6 each. He pays with a $50 bill. How much change does he get?", 32),
("money", "A pencil costs 75 cents. How many dollars do 12 pencils cost?", 9),
("money", "Ava bought 5 kilograms of apples at $2 per kilogram and 3 kilograms of pears at $4 per kilogram. How much did she pay altogether?", 22),
("money", "A movie ticket costs $12 and popcorn costs $5. How much do 4 friends spend if each buys a ticket and popcorn?", 68),
("money", "Leo has $100. He buys 6 toy cars that cost $9 each. How much money does he have left?", 46),
("money", "A bakery sells cupcakes for $3 each. On Friday it sold 45 cupcakes and on Saturday 60 cupcakes. How much money did it make on the two days?", 315),
# K4 rates chained: per hour and hours a day, per box and boxes a crate, a day and days a week
("rates", "Carla earns $15 an hour. She works 6 hours a day. How much does she earn in 5 days?", 450),
("rates", "A printer prints 20 pages a minute. How many pages does it print in 2 hours?", 2400),
("rates", "A car uses 8 liters of fuel per 100 km. How many liters does it need for 450 km?", 36),
("rates", "Each box holds 12 cans, and each crate holds 10 boxes. How many cans are in 3 crates?", 360),
("rates", "Tom walks his dog 3 times a day for 20 minutes each time. How many minutes does he walk the dog in a week?", 420),
("rates", "A factory makes 250 toys each day. How many toys does it make in 4 weeks?", 7000),
("rates", "Mia drinks 2 glasses of milk a day. Each glass holds 250 ml. How many milliliters of milk does she drink in 30 days?", 15000),
("rates", "A gardener plants 6 rows of tomatoes with 9 plants in each row. Each plant gives 4 tomatoes. How many tomatoes does she get?", 216),
# K5 fractions and percentages of a whole, then what remains or the complement
("part", "A class has 30 students. Two thirds of them are girls. How many boys are in the class?", 10),
("part", "Jake had 60 candies. He gave a quarter of them to his sister and ate 10. How many candies are left?", 35),
("part", "A jacket costs $80. It is on sale for 25% off. What is the sale price?", 60),
("part", "Of the 200 students in a school, 45% walk to school. How many students do not walk to school?", 110),
("part", "Rita had 48 cookies. She ate half of them and gave 8 to a friend. How many cookies does she have left?", 16),
("part", "A store had 150 shirts. It sold 40% of them on Monday. How many shirts are left?", 90),
("part", "Dan earns $2000 a month. He saves 15% of it. How much does he save in a year?", 3600),
("part", "A pizza is cut into 12 slices. Ann eats a third of the pizza and Bob eats 3 slices. How many slices are left?", 5),
# K6 a sum shared, grouped or averaged
("share", "Three friends shared the cost of a $45 meal and a $15 tip equally. How much did each pay?", 20),
("share", "Kai scored 80, 90 and 85 on three tests. What is his average score?", 85),
("share", "Two classes of 24 and 28 students are split into teams of 4. How many teams are there?", 13),
("share", "A farmer has 45 red apples and 35 green apples. He packs them into bags of 8. How many bags does he fill?", 10),
("share", "Sara bought 3 packs of 12 pencils and shared them equally among 4 friends. How many pencils did each friend get?", 9),
("share", "Four boxes hold 6, 9, 7 and 10 toys. What is the average number of toys in a box?", 8),
]

dev = [(k, q, num(a)) for i, (k, q, a) in enumerate(P) if i % 2 == 0]
test = [(k, q, num(a)) for i, (k, q, a) in enumerate(P) if i % 2 == 1]
write("multi-dev", "multi", "word", dev)
write("multi-test", "multi", "word", test)
