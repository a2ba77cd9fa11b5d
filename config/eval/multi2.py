# Multi-step word problems, second set: written at stop 29 after the chain rule's first rounds and
# before its last changes, for a clean held-out figure of the final code (report only; never tuned on).
# The answers were worked by hand.
#   python3 config/eval/multi2.py rewrites multi2-test.jsonl.
from evalsets import write, num

P = [
("story", "Priya had 85 stamps. She traded away 20 stamps and then bought 2 packs of 10 stamps. How many stamps does she have now?", 85),
("story", "A school bus had 36 students. At the first stop 9 students got off, and at the second stop 4 got off and 7 got on. How many students are on the bus now?", 30),
("relation", "Leo is 3 times as old as his daughter. His daughter is 11. How old will Leo be in 4 years?", 37),
("part", "Nina saved $120. She spent a third of it on a game and $25 on a book. How much money does she have left?", 55),
("relation", "A cinema sold 180 tickets on Friday and twice as many on Saturday. How many tickets did it sell on the two days?", 540),
("relation", "Omar has 45 marbles. Jade has 12 fewer marbles than Omar. Kian has twice as many marbles as Jade. How many marbles does Kian have?", 66),
("rates", "A gym charges $25 a month. How much does a member pay in 2 years?", 600),
("rates", "A faucet drips 12 ml of water every minute. How many liters of water does it drip in 5 hours?", 3.6),
("money", "Each crate holds 24 bottles. A shop orders 5 crates and sells 70 bottles. How many bottles are left?", 50),
("rates", "Kara earns $12 an hour and works 7 hours a day, 5 days a week. How much does she earn in a week?", 420),
("rates", "A printer uses 1 cartridge for every 250 pages. How many cartridges are needed for 2,000 pages?", 8),
("money", "Ben bought 3 shirts for $14 each and a belt for $9. He paid with a $100 bill. How much change did he get?", 49),
("part", "Out of 60 apples in a basket, 15% are rotten. How many good apples are there?", 51),
("rates", "A car travels 60 miles per hour. How far does it travel in 2.5 hours?", 150),
("unknown", "Tia and her brother have 56 stickers together. Tia has 3 times as many stickers as her brother. How many stickers does her brother have?", 14),
("rates", "A baker uses 4 eggs for each cake. She bakes 6 cakes on Monday and 9 cakes on Tuesday. How many eggs does she use?", 60),
("relation", "Gina read 24 pages on Monday, half as many on Tuesday, and 10 more than that on Wednesday. How many pages did she read in the three days?", 58),
("share", "The average of 4 numbers is 15. Three of them are 10, 12 and 20. What is the fourth number?", 18),
("share", "A team scored 18, 24, 30 and 28 points in four games. What was the team's average score?", 25),
("share", "Mr. Kim bought 8 boxes of pencils. Each box has 12 pencils. He gave the pencils equally to 16 students. How many pencils did each student get?", 6),
("part", "A water tank had 500 liters. 30% of the water was used on Monday and 100 liters on Tuesday. How many liters are left?", 250),
("money", "Lina sells bracelets for $6 each. She sold 14 bracelets on Saturday and 11 on Sunday. How much money did she make?", 150),
("share", "A rope 48 meters long is cut into pieces of 6 meters. How many pieces are there?", 8),
("relation", "Dev is 5 years older than Eli. Eli is twice as old as Fay, who is 7. How old is Dev?", 19),
]

write("multi2-test", "multi2", "word", [(k, q, num(a)) for k, q, a in P])
