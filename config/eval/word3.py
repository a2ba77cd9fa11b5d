# One-step word problems by schema, 6 per kind, alternating between word3-dev.jsonl and word3-test.jsonl.
# Written before the word-problem rule was changed for them (stop 26). python3 config/eval/word3.py rewrites both.
# (kind, query, answer)
P = [
# K1 combine, same verb for both
("combine", "A bakery sold 245 muffins on Saturday and 198 muffins on Sunday. How many muffins did it sell over the weekend?", 443),
("combine", "Omar read 36 pages in the morning and 29 pages in the evening. How many pages did he read that day?", 65),
("combine", "The school library lent out 112 books in March and 87 books in April. How many books did it lend out in those two months?", 199),
("combine", "Lena spent 14 dollars on lunch and 23 dollars on a movie ticket. How much did she spend in all?", 37),
("combine", "A farmer planted 58 tomato plants in one field and 67 in another field. How many tomato plants did he plant?", 125),
("combine", "Tickets for the concert: 320 were sold online and 145 were sold at the door. How many tickets were sold?", 465),
# K2 change loss
("loss", "Marta had 84 stickers. She gave 27 of them to her cousin. How many stickers does Marta have now?", 57),
("loss", "A tank held 600 liters of water. After a leak, 135 liters were lost. How many liters are in the tank now?", 465),
("loss", "There were 72 birds on a wire. 19 of them flew off. How many birds stayed on the wire?", 53),
("loss", "Dev had 150 dollars in his wallet. He paid 38 dollars for a jacket. How much money does he have left?", 112),
("loss", "A library owned 940 books and discarded 85 old ones. How many books does it own after that?", 855),
("loss", "Kim baked 48 cookies and her friends ate 17. How many cookies were not eaten?", 31),
# K3 change gain
("gain", "Ravi had 35 marbles. His sister gave him 18 more. How many marbles does Ravi have now?", 53),
("gain", "A bus carried 26 passengers. At the next stop 14 people got on and nobody got off. How many passengers are on the bus now?", 40),
("gain", "Nora saved 120 dollars and then earned 45 dollars babysitting. How much money does she have now?", 165),
("gain", "The orchard had 64 apple trees. This spring the owners planted 22 new ones. How many apple trees are there now?", 86),
("gain", "Ben's playlist had 93 songs. He added 17 songs yesterday. How many songs are on the playlist?", 110),
("gain", "A zoo had 41 penguins. Then 9 chicks hatched. How many penguins does the zoo have now?", 50),
# K4 compare with than
("compare", "Jamal has 63 baseball cards and Chen has 48. How many more cards does Jamal have than Chen?", 15),
("compare", "The red rope is 240 centimeters long and the blue rope is 175 centimeters long. How much longer is the red rope than the blue rope?", 65),
("compare", "Team A scored 91 points and Team B scored 78 points. How many fewer points did Team B score than Team A?", 13),
("compare", "A cat weighs 4 kilograms and a dog weighs 27 kilograms. How much more does the dog weigh than the cat?", 23),
("compare", "Lucia ran 12 laps and Pedro ran 19 laps. How many more laps did Pedro run than Lucia?", 7),
("compare", "A pencil costs 85 cents and a pen costs 140 cents. How much cheaper is the pencil than the pen?", 55),
# K5 compare without than
("compare2", "Mia is 152 centimeters tall. Her brother is 178 centimeters tall. How much taller is her brother?", 26),
("compare2", "The oak tree is 34 years old and the maple tree is 19 years old. How much older is the oak tree?", 15),
("compare2", "A blue whale can be 30 meters long and a shark 12 meters long. By how many meters is the whale longer?", 18),
("compare2", "Sam has 250 dollars and Tia has 410 dollars. How much more money does Tia have?", 160),
("compare2", "The first box weighs 18 kilograms and the second box weighs 11 kilograms. What is the difference in their weights?", 7),
("compare2", "A train trip takes 95 minutes and a bus trip takes 140 minutes. How many minutes shorter is the train trip?", 45),
# K6 start unknown
("start", "Ella gave 15 pencils to her classmates and now has 22 pencils. How many pencils did Ella have at first?", 37),
("start", "After buying 8 more fish, Carl has 31 fish in his aquarium. How many fish did he have before?", 23),
("start", "A shop sold 46 umbrellas today and has 19 umbrellas left. How many umbrellas did the shop have this morning?", 65),
("start", "Jo received 12 postcards this week and now has 50 postcards. How many postcards did Jo have to begin with?", 38),
("start", "After spending 27 dollars, Ada has 58 dollars left. How much money did Ada start with?", 85),
("start", "Some children were on the playground. 13 went home and 24 are still playing. How many children were on the playground at the start?", 37),
# K7 equal groups multiply
("groups", "There are 8 shelves and each shelf holds 24 books. How many books are on the shelves?", 192),
("groups", "A spider has 8 legs. How many legs do 15 spiders have?", 120),
("groups", "Each classroom has 28 desks. The school has 12 classrooms. How many desks does the school have?", 336),
("groups", "A car travels 65 kilometers every hour. How far does it travel in 4 hours?", 260),
("groups", "Paula packs 6 eggs into every carton. She fills 35 cartons. How many eggs did she pack?", 210),
("groups", "A bicycle has 2 wheels. How many wheels are there on 47 bicycles?", 94),
# K8 sharing / grouping division
("share", "Four friends share 92 cherries equally. How many cherries does each friend get?", 23),
("share", "A teacher puts 126 students into teams of 6. How many teams are there?", 21),
("share", "A rope 144 meters long is cut into 9 equal pieces. How long is each piece?", 16),
("share", "225 chairs are set out in 15 equal rows. How many chairs are in each row?", 15),
("share", "A baker has 360 rolls and puts 12 rolls in each bag. How many bags does she fill?", 30),
("share", "The prize of 840 dollars is divided equally among 7 winners. How much does each winner receive?", 120),
# K9 price quotient
("buy", "Hugo has 120 dollars. Video games cost 15 dollars each. How many video games can he buy?", 8),
("buy", "Notebooks are 3 dollars each. How many notebooks can Iris buy with 27 dollars?", 9),
("buy", "A bus ticket costs 4 dollars. Gabe has 52 dollars. How many tickets can he afford?", 13),
("buy", "Each packet of seeds costs 5 dollars. How many packets can be bought with 85 dollars?", 17),
("buy", "Kira wants to buy books that cost 12 dollars apiece. She has 96 dollars. How many books can she buy?", 8),
("buy", "With 70 dollars, how many 7-dollar sandwiches can Leo buy?", 10),
# K10 total cost
("cost", "A movie ticket costs 11 dollars. How much do 6 tickets cost?", 66),
("cost", "Pears are sold at 2 dollars per kilogram. What is the price of 14 kilograms of pears?", 28),
("cost", "Ana buys 9 notebooks at 4 dollars each. How much does she pay?", 36),
("cost", "One bag of rice costs 23 dollars. What do 5 bags cost?", 115),
("cost", "A gardener earns 18 dollars an hour. How much does she earn in 7 hours?", 126),
("cost", "Each ride at the fair costs 3 dollars. Max goes on 16 rides. How much does he spend?", 48),
]
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wordsets import write_dev_test
write_dev_test(P, "word3", "w3d", "w3t")
