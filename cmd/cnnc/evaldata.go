package main

import (
	"fmt"

	"github.com/cnnc/cnnc/tensorio"
)

// evalData is an IDX data set that eval reads a batch at a time.
type evalData struct {
	imgs, labs        *tensorio.IDXReader
	imgPath, labPath  string
	count, rows, cols int
}

// openEvalData opens an IDX image file and its label file and checks that
// their headers agree; nothing past the headers is read.
func openEvalData(images, labels string) (*evalData, error) {
	imgs, err := tensorio.OpenIDXImages(images)
	if err != nil {
		return nil, err
	}
	labs, err := tensorio.OpenIDXLabels(labels)
	if err != nil {
		imgs.Close()
		return nil, err
	}
	d := &evalData{imgs: imgs, labs: labs, imgPath: images, labPath: labels, count: imgs.Count, rows: imgs.Rows, cols: imgs.Cols}
	if labs.Count != imgs.Count {
		d.close()
		return nil, fmt.Errorf("%s has %d images but %s has %d labels", images, imgs.Count, labels, labs.Count)
	}
	return d, nil
}

func (d *evalData) close() {
	d.imgs.Close()
	d.labs.Close()
}

// labels reads the first n labels (all of them: and checks the file's
// end) and checks each names one of the model's classes.
func (d *evalData) labels(n, classes int) ([]uint8, error) {
	l := make([]uint8, n)
	if err := d.labs.Read(l); err != nil {
		return nil, err
	}
	if n == d.count {
		if err := d.labs.Finish(); err != nil {
			return nil, err
		}
	}
	for i, v := range l {
		if int(v) >= classes {
			return nil, fmt.Errorf("%s: label %d (sample %d) is not one of the model's %d classes (0 to %d)", d.labPath, v, i, classes, classes-1)
		}
	}
	return l, nil
}

// images reads the next len(dst) bytes of images; last says they end the
// file, whose end is then checked.
func (d *evalData) images(dst []uint8, last bool) error {
	if err := d.imgs.Read(dst); err != nil {
		return err
	}
	if last {
		return d.imgs.Finish()
	}
	return nil
}
